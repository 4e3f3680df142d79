/*
 * Browser crypto-miners (挖矿脚本) in inline script or in the URL of an
 * external script.  meta kind = "miner" makes a match a trojan.miner
 * finding; confidence is in percent.
 */

rule miner_coinhive
{
    meta:
        kind = "miner"
        confidence = 95
        description = "Coinhive and its clones (authedmine, coin-hive)"
    strings:
        $a = "coinhive" nocase
        $b = "coin-hive" nocase
        $c = "authedmine" nocase
        $d = "CoinHive.Anonymous" nocase
        $e = "CoinHive.User" nocase
    condition:
        any of them
}

rule miner_coinimp_cryptoloot
{
    meta:
        kind = "miner"
        confidence = 95
        description = "CoinImp, Crypto-Loot, WebMinePool, JSEcoin and similar services"
    strings:
        $a = "coinimp" nocase
        $b = "crypto-loot" nocase
        $c = "cryptoloot" nocase
        $d = "webminepool" nocase
        $e = "jsecoin" nocase
        $f = "minero.cc" nocase
        $g = "monerominer" nocase
        $h = "deepminer" nocase
        $i = "cryptaloot" nocase
        $j = "hashvault.pro" nocase
        $k = "webmine.cz" nocase
        $l = "hostingcloud.racing" nocase
    condition:
        any of them
}

rule miner_generic_client
{
    meta:
        kind = "miner"
        confidence = 85
        description = "a miner client started with a site key and throttle"
    strings:
        $algo = "cryptonight" nocase
        $start = /\.start\s*\(\s*(Client|CoinHive|CRLT)?\.?(FORCE_|IF_)/ nocase
        $anon = /new\s+(Client|CoinHive|CRLT|Miner)\.(Anonymous|User)\s*\(\s*['"][0-9A-Za-z]{16,}/
        $throttle = /throttle\s*:\s*0?\.\d/
        $wasm = "cryptonight.wasm" nocase
    condition:
        $algo or $wasm or $anon or ($start and $throttle)
}
