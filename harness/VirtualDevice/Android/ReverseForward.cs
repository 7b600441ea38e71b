namespace Harness.VirtualDevice.Android;

/// <summary>One reverse listener: the phone-side spec, where it leads on the host, and the transport that made it.</summary>
public sealed record ReverseForward(string PhoneSpec, string HostSpec, object? Owner);
