namespace Harness.VirtualDevice.Network;

/// <summary>A request failed the way it would fail on a real phone (refused, unreachable, untrusted, pinned...).</summary>
public sealed class PhoneNetworkException : IOException
{
    public PhoneNetworkException(PhoneNetworkFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public PhoneNetworkFailure Failure { get; }
}
