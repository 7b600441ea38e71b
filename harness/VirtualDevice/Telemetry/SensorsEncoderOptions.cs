namespace Harness.VirtualDevice.Telemetry;

public sealed record SensorsEncoderOptions
{
    /// <summary>Order of the form fields (the 2020 SDK: crc, gzip, data_list).</summary>
    public IReadOnlyList<SensorsFormField> FieldOrder { get; init; } = [SensorsFormField.Crc, SensorsFormField.Gzip, SensorsFormField.DataList];

    /// <summary>
    /// The SDK's encrypted upload (<c>gzip=9</c>): the gzipped batch under a fresh AES key, that key under the vendor's
    /// RSA key, as <c>{"ekey","pkv","payloads"}</c>. Compressed first, so its size still follows what it carries.
    /// </summary>
    public bool Encrypted { get; init; }
}
