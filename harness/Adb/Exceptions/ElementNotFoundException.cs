namespace Harness.Adb;

/// <summary>No element of the UI hierarchy matched the selector before the timeout.</summary>
public sealed class ElementNotFoundException : AdbException
{
    public ElementNotFoundException(string message) : base(message) { }
}
