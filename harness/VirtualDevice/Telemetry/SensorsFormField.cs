namespace Harness.VirtualDevice.Telemetry;

/// <summary>The fields of a Sensors Analytics POST body; their order varies across SDK versions.</summary>
public enum SensorsFormField
{
    Crc,
    Gzip,
    DataList,
}
