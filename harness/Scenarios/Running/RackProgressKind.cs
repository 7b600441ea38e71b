namespace Harness.Scenarios;

public enum RackProgressKind
{
    /// <summary>A phone is prepared and its cases are planned (<see cref="RackProgress.PlannedCases"/>).</summary>
    DevicePrepared,
    CaseStarted,
    CaseFinished,
    /// <summary>A phone could not be prepared or was lost; <see cref="RackProgress.Message"/> says why.</summary>
    DeviceFailed,
    /// <summary>A phone's session is restored (proxy cleared, reverse removed).</summary>
    DeviceRestored,
}
