/*
 * ASP and ASP.NET webshells in upload directories (sitewarden-agent):
 * evaluation of request data (the China Chopper one-liners), shell objects
 * driven by the request, and assemblies loaded from request bytes (the
 * .NET clients of Behinder and Godzilla).
 */

rule asp_eval_request
{
    meta:
        description = "ASP/ASPX evaluating request data (China Chopper and kin)"
    strings:
        $tag = "<%" ascii
        $a = /\b(eval|execute|executeglobal)\s*\(?\s*request\s*(\.\s*(item|form|querystring)\s*)?[\(\[]/ nocase
        $b = /\beval\s*\(\s*request\s*\.\s*item\s*\[/ nocase
        $c = /\bexecute\s*\(\s*request\s*\(/ nocase
    condition:
        $tag and any of ($a, $b, $c)
}

rule asp_shell_object_request
{
    meta:
        description = "WScript.Shell or Process.Start driven by the request"
    strings:
        $tag = "<%" ascii
        $o1 = /CreateObject\s*\(\s*"(WScript\.Shell|Shell\.Application|WScript\.Network)"/ nocase
        $o2 = /Process\s*\.\s*Start\s*\(/ nocase
        $o3 = /new\s+ProcessStartInfo\s*\(/ nocase
        $r = /request\s*(\.\s*(form|querystring|item)\s*)?[\(\[]/ nocase
    condition:
        $tag and any of ($o*) and $r
}

rule aspx_assembly_from_request
{
    meta:
        description = "ASPX loading an assembly from request bytes (Behinder, Godzilla .NET)"
    strings:
        $tag = "<%" ascii
        $l1 = /Assembly\s*\.\s*Load\s*\(/ nocase
        $r1 = "Request.BinaryRead" nocase
        $r2 = "Request.InputStream" nocase
        $r3 = "Request.Form" nocase
        $c1 = "RijndaelManaged" nocase
        $c2 = "FromBase64String" nocase
        $k = "e45e329feb5d925b" ascii
    condition:
        $tag and $l1 and any of ($r*) and (any of ($c*) or $k)
}
