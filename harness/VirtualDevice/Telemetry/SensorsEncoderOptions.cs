namespace Harness.VirtualDevice.Telemetry;

public sealed record SensorsEncoderOptions
{
    /// <summary>Order of the form fields (the 2020 SDK: crc, gzip, data_list).</summary>
    public IReadOnlyList<SensorsFormField> FieldOrder { get; init; } = [SensorsFormField.Crc, SensorsFormField.Gzip, SensorsFormField.DataList];
}
