namespace Harness.Scenarios;

/// <summary>A phone could not be prepared for the run; it has been reported to the run's sinks and restored.</summary>
public sealed class RackPhoneFailedException(string serial, string message, Exception inner) : Exception($"phone {serial} {message}", inner)
{
    public string Serial { get; } = serial;
}
