using System.Text;

namespace Harness.Adb;

/// <summary>
/// Quoting for the device's `sh`: every argument in single quotes, a single quote written as '\''. Inside single
/// quotes sh expands nothing, so spaces, $, ;, backticks, newlines and non-ASCII pass through unchanged.
/// </summary>
public static class ShellQuote
{
    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        return "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>The command name is left bare when it is a plain word so aliases and builtins still resolve.</summary>
    public static string Join(string command, params IEnumerable<string> arguments)
    {
        var builder = new StringBuilder(IsPlainWord(command) ? command : Quote(command));
        foreach (var argument in arguments)
            builder.Append(' ').Append(Quote(argument));
        return builder.ToString();
    }

    internal static bool IsPlainWord(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or '+' or '=' or ':' or ',' or '@' or '%');
}
