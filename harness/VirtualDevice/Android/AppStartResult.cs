namespace Harness.VirtualDevice.Android;

/// <summary>Outcome of `am start`: whether the process was created (COLD) or already running (WARM/HOT).</summary>
public sealed record AppStartResult(RunningApp Process, bool ColdStart, bool AlreadyInFront);
