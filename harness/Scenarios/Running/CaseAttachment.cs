namespace Harness.Scenarios;

/// <summary>A file a case produced (screenshot PNG, UI dump XML), kept in memory until the evidence writer copies it.</summary>
public sealed record CaseAttachment(string FileName, string ContentType, byte[] Content);
