using System.CommandLine;

namespace Harness.Cli;

/// <summary>
/// `--ca-dir` and `--signing-dir` of the commands that run a rack: which interception CA the phones are given and
/// which key signs the evidence. Defaults are the installation's folders under ~/.harness.
/// </summary>
public sealed class KeyFolderOptions
{
    public Option<string?> CaDirectory { get; } = new("--ca-dir") { Description = "Interception CA folder (created on first use); default ~/.harness/ca." };
    public Option<string?> SigningDirectory { get; } = new("--signing-dir") { Description = "Evidence signing key folder (created on first use); default ~/.harness/signing." };

    public void AddTo(Command command)
    {
        command.Options.Add(CaDirectory);
        command.Options.Add(SigningDirectory);
    }
}
