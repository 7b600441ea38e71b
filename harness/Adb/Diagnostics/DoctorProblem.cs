namespace Harness.Adb.Diagnostics;

/// <summary>Something that would spoil a run, named with the command that fixes it.</summary>
public sealed record DoctorProblem(string Problem, string Fix);
