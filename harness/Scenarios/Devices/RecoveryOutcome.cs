namespace Harness.Scenarios;

/// <summary>What <see cref="DeviceSession.RecoverAsync"/> did about one leftover session marker.</summary>
public sealed record RecoveryOutcome(string Serial, bool Restored, string Detail);
