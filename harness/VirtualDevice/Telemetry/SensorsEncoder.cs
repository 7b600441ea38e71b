using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Harness.VirtualDevice.Telemetry;

/// <summary>
/// The Sensors Analytics Android SDK's upload encoding (2020): JSON array → gzip → base64 →
/// <c>crc=&lt;String.hashCode(data_list)&gt;&amp;gzip=1&amp;data_list=&lt;URLEncoder.encode(data_list)&gt;</c>; with
/// <see cref="SensorsEncoderOptions.Encrypted"/> the batch is encrypted after compression and marked <c>gzip=9</c>. No I/O.
/// </summary>
public sealed class SensorsEncoder
{
    private readonly SensorsEncoderOptions _options;

    public SensorsEncoder(SensorsEncoderOptions? options = null)
    {
        _options = options ?? new SensorsEncoderOptions();
    }

    public SensorsPayload Encode(JsonArray events)
    {
        var json = AndroidJsonWriter.Write(events);
        var compressed = Gzip(Encoding.UTF8.GetBytes(json));
        var dataList = Convert.ToBase64String(_options.Encrypted ? Encrypt(compressed) : compressed);
        var crc = JavaString.HashCode(dataList);
        var fields = _options.FieldOrder.Select(field => field switch
        {
            SensorsFormField.Crc => "crc=" + crc.ToString(CultureInfo.InvariantCulture),
            SensorsFormField.Gzip => _options.Encrypted ? "gzip=9" : "gzip=1",
            SensorsFormField.DataList => "data_list=" + JavaUrlEncoder.Encode(dataList),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "unknown Sensors form field"),
        });
        return new SensorsPayload(json, dataList, crc, string.Join('&', fields));
    }

    /// <summary>The vendor's key pair; only its public half would be in a real APK. One per process: RSA keys are slow to make.</summary>
    private static readonly Lazy<RSA> VendorKey = new(() => RSA.Create(2048));

    /// <summary><c>{"ekey": base64(RSA-OAEP(aes key)), "pkv": 3, "payloads": [base64(iv + AES-CBC(gzip))]}</c> as UTF-8 JSON.</summary>
    private static byte[] Encrypt(byte[] compressed)
    {
        using var aes = Aes.Create();
        aes.KeySize = 128;
        aes.GenerateKey();
        aes.GenerateIV();
        var cipher = aes.EncryptCbc(compressed, aes.IV, PaddingMode.PKCS7);
        var ekey = VendorKey.Value.Encrypt(aes.Key, RSAEncryptionPadding.OaepSHA1);
        var payload = new JsonObject
        {
            ["ekey"] = Convert.ToBase64String(ekey),
            ["pkv"] = 3,
            ["payloads"] = new JsonArray(Convert.ToBase64String([.. aes.IV, .. cipher])),
        };
        return Encoding.UTF8.GetBytes(payload.ToJsonString());
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
