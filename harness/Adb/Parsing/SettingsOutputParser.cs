namespace Harness.Adb.Parsing;

/// <summary>`settings get` prints the value, or the literal `null` when the key is unset.</summary>
public static class SettingsOutputParser
{
    public static string? ParseGet(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var value = output.TrimEnd('\r', '\n');
        return value == "null" ? null : value;
    }

    /// <summary>`settings put/delete` print nothing on success; anything else (usage, exception) is an error text.</summary>
    public static bool IsSilentSuccess(string output) =>
        output.Trim().Length == 0 || output.Trim().StartsWith("Deleted ", StringComparison.Ordinal);

    public static string NamespaceName(SettingsNamespace table) => table switch
    {
        SettingsNamespace.Global => "global",
        SettingsNamespace.Secure => "secure",
        SettingsNamespace.System => "system",
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, null),
    };
}
