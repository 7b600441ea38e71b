namespace Harness.Leaks;

/// <summary>The steps whose label is their decoder's name, made once: the walker takes such steps for most payloads.</summary>
internal static class DecodeSteps
{
    public static readonly DecodeStep Base64 = new("base64", "base64");
    public static readonly DecodeStep Base64Url = new("base64url", "base64url");
    public static readonly DecodeStep Hex = new("hex", "hex");
    public static readonly DecodeStep Gzip = new("gzip", "gzip");
    public static readonly DecodeStep Zlib = new("zlib", "zlib");
    public static readonly DecodeStep Zstd = new("zstd", "zstd");
    public static readonly DecodeStep Brotli = new("brotli", "brotli");
    public static readonly DecodeStep Deflate = new("deflate", "deflate");
    public static readonly DecodeStep Percent = new("percent", "percent");
    public static readonly DecodeStep JsonString = new("json-string", "json-string");
    public static readonly DecodeStep Html = new("html", "html");
}
