namespace Harness.VirtualDevice.Shell;

/// <summary>How a pipeline joins the one before it in an and-or list.</summary>
public enum ShellConnector
{
    Sequence,
    And,
    Or,
}
