namespace Harness.VirtualDevice.Apps;

/// <summary>The file is not a virtual APK; pm reports it as INSTALL_FAILED_INVALID_APK.</summary>
public sealed class VirtualApkException(string message) : Exception(message);
