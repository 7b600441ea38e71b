namespace Harness.VirtualDevice.Telemetry;

/// <summary>The "lib" object of every event.</summary>
public sealed record SensorsLib(string LibVersion, string AppVersion, string Lib = "Android", string LibMethod = "code");
