using System.Security.Cryptography;
using System.Text;

namespace Harness.Leaks;

/// <summary>
/// The forms in which apps commonly send a device identifier besides the value itself: its MD5, SHA-1 and SHA-256
/// (of the UTF-8 text), each as hex (the matcher ignores ASCII case, so upper-case hex is found too) and as base64. Analytics SDKs hash IMEI and android_id
/// before upload so the raw value is never seen; the hash links the phone just the same.
/// </summary>
public static class DeviceIdentifierForms
{
    /// <summary>(name, form) pairs: the value under its own name, then "NAME (sha256, hex)" and so on.</summary>
    public static IEnumerable<(string Name, string Form)> Of(string name, string value)
    {
        yield return (name, value);
        var bytes = Encoding.UTF8.GetBytes(value);
        foreach (var (algorithm, digest) in new[] { ("md5", MD5.HashData(bytes)), ("sha1", SHA1.HashData(bytes)), ("sha256", SHA256.HashData(bytes)) })
        {
            var hex = Convert.ToHexStringLower(digest);
            yield return ($"{name} ({algorithm}, hex)", hex);
            yield return ($"{name} ({algorithm}, base64)", Convert.ToBase64String(digest));
        }
    }
}
