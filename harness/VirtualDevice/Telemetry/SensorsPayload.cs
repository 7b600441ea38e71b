namespace Harness.VirtualDevice.Telemetry;

/// <summary>One encoded Sensors Analytics upload.</summary>
/// <param name="Json">The UTF-8 JSON array of events before compression.</param>
/// <param name="DataList">Standard base64 of gzip(Json), padded, no line breaks (starts "H4sI").</param>
/// <param name="Crc">Java String.hashCode of <paramref name="DataList"/>.</param>
/// <param name="FormBody">The application/x-www-form-urlencoded POST body.</param>
public sealed record SensorsPayload(string Json, string DataList, int Crc, string FormBody);
