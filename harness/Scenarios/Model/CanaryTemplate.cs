using System.Text.RegularExpressions;
using Harness.Leaks;

namespace Harness.Scenarios;

/// <summary>
/// Placeholders in step arguments: {canary.url}, {canary.host}, {canary.path}, {canary.query}, {canary.title}.
/// Filled with the case's fresh canaries, so no two cases (or runs) ever share a value.
/// </summary>
public static partial class CanaryTemplate
{
    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex Placeholder();

    public static IReadOnlyList<string> KnownPlaceholders { get; } =
        Enum.GetValues<CanaryKind>().Select(k => "canary." + CanaryKindNames.ToName(k)).ToArray();

    /// <summary>The first placeholder that is not a known one, or null when the template is fine.</summary>
    public static string? FindUnknownPlaceholder(string template) =>
        Placeholder().Matches(template).Select(m => m.Groups[1].Value).FirstOrDefault(name => !KnownPlaceholders.Contains(name));

    public static bool HasPlaceholder(string template) => Placeholder().IsMatch(template);

    public static string Expand(string template, CanarySet canaries) =>
        Placeholder().Replace(template, match =>
        {
            var name = match.Groups[1].Value;
            if (!name.StartsWith("canary.", StringComparison.Ordinal) || !CanaryKindNames.TryParse(name["canary.".Length..], out var kind))
                throw new ArgumentException($"unknown placeholder {{{name}}}", nameof(template));
            return canaries.Get(kind)?.Value ?? throw new ArgumentException($"the canary set has no {name}", nameof(canaries));
        });
}
