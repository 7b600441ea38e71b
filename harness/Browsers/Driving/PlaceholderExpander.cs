using System.Text.RegularExpressions;

namespace Harness.Browsers;

/// <summary>Fills {url}, {host}, {term}, {account}, {password}, {file}, {certificate} from the action's arguments.</summary>
internal static partial class PlaceholderExpander
{
    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex Placeholder();

    public static string Expand(string template, ActionArguments arguments, BrowserAction action) =>
        Placeholder().Replace(template, match =>
            arguments.Value(match.Groups[1].Value)
            ?? throw new ArgumentException($"action \"{action.ToName()}\" needs a value for {{{match.Groups[1].Value}}}; pass it in {nameof(ActionArguments)}", nameof(arguments)));
}
