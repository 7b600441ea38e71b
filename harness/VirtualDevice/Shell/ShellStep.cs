namespace Harness.VirtualDevice.Shell;

/// <summary>A pipeline and how it depends on the previous step's exit code.</summary>
public sealed record ShellStep(ShellConnector Connector, ShellPipeline Pipeline);
