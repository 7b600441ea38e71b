namespace Harness.VirtualDevice.SystemApps;

/// <summary>One CA as Trusted credentials lists it: the store file, and the subject's organisation (primary line) and common name (secondary).</summary>
public sealed record UserCaEntry(string FileName, string Primary, string Secondary);
