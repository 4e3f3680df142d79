rule php_eval_request
{
    strings:
        $a = "eval(" nocase
    condition:
        $a
}
