namespace Harness.Adb;

/// <summary>One line of list-forward (`serial local remote`) or reverse list-forward (`(reverse) remote local`).</summary>
public sealed record ForwardEntry(string Serial, string Local, string Remote);
