namespace Harness.Adb;

/// <summary>The package manager did not print "Success".</summary>
public sealed class PackageInstallException : AdbException
{
    public PackageInstallException(string operation, string output)
        : base($"{operation} failed: {output.Trim()}")
    {
        Output = output;
    }

    public string Output { get; }
}
