using System.Globalization;
using Harness.Core;
using YamlDotNet.RepresentationModel;

namespace Harness.Scenarios;

/// <summary>
/// Typed reads over a YAML node tree where every failure is a <see cref="BadInputException"/> naming the file, the
/// node's line and column, and the field path (e.g. <c>steps[2].open-url</c>).
/// </summary>
internal sealed class ScriptYamlReader(string file)
{
    public string File { get; } = file;

    public ScriptLocation Where(YamlNode node) => new(File, (int)node.Start.Line, (int)node.Start.Column);

    public BadInputException Error(YamlNode node, string field, string message) =>
        new(message, File, (int)node.Start.Line, (int)node.Start.Column, field);

    public YamlMappingNode Mapping(YamlNode node, string field, string example) =>
        node as YamlMappingNode ?? throw Error(node, field, $"expected a mapping of keys to values here, e.g. {example}");

    public YamlSequenceNode Sequence(YamlNode node, string field, string example) =>
        node as YamlSequenceNode ?? throw Error(node, field, $"expected a list here, e.g. {example}");

    public string Scalar(YamlNode node, string field)
    {
        if (node is YamlScalarNode { Value: { } value }) return value;
        var hint = node is YamlMappingNode ? " (text starting with '{' must be quoted, e.g. \"{canary.url}\")" : "";
        throw Error(node, field, "expected a single value (text or number) here" + hint);
    }

    public string NonEmptyScalar(YamlNode node, string field)
    {
        var value = Scalar(node, field);
        return value.Trim().Length > 0 ? value.Trim() : throw Error(node, field, "must not be empty");
    }

    public bool OnOff(YamlNode node, string field)
    {
        var text = Scalar(node, field);
        return text switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw Error(node, field, $"expected on or off, got \"{text}\""),
        };
    }

    /// <summary>Durations are written 20s, 500ms, 2m, or a plain number of seconds.</summary>
    public TimeSpan Duration(YamlNode node, string field)
    {
        var text = Scalar(node, field).Trim();
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            return TimeSpan.FromSeconds(seconds);
        (string Suffix, Func<double, TimeSpan> Make)[] units = [("ms", TimeSpan.FromMilliseconds), ("s", TimeSpan.FromSeconds), ("m", TimeSpan.FromMinutes)];
        foreach (var (suffix, make) in units)
        {
            if (!text.EndsWith(suffix, StringComparison.Ordinal)) continue;
            if (double.TryParse(text[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount > 0)
                return make(amount);
            break;
        }
        throw Error(node, field, $"expected a positive duration such as 20s, 500ms or 2m, got \"{text}\"");
    }

    /// <summary>The mapping's entries by key, after checking that every key is one of <paramref name="allowed"/>.</summary>
    public IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> Entries(YamlMappingNode mapping, string field, IReadOnlyCollection<string> allowed)
    {
        var entries = new Dictionary<string, (YamlNode, YamlNode)>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = Scalar(keyNode, field);
            var keyField = Join(field, key);
            if (!allowed.Contains(key))
                throw Error(keyNode, keyField, $"unknown key \"{key}\"{Suggest(key, allowed)}; allowed here: {string.Join(", ", allowed)}");
            if (!entries.TryAdd(key, (keyNode, valueNode)))
                throw Error(keyNode, keyField, $"\"{key}\" is given twice");
        }
        return entries;
    }

    /// <summary>A scalar or a list of scalars, as a list.</summary>
    public IReadOnlyList<(string Value, YamlNode Node)> ScalarList(YamlNode node, string field)
    {
        if (node is YamlScalarNode) return [(NonEmptyScalar(node, field), node)];
        var sequence = Sequence(node, field, "[url, query]");
        return sequence.Children.Select((child, i) => (NonEmptyScalar(child, $"{field}[{i}]"), child)).ToList();
    }

    public static string Join(string field, string key) => field.Length == 0 ? key : $"{field}.{key}";

    /// <summary>" (did you mean \"x\"?)" for a near miss, else "".</summary>
    public static string Suggest(string given, IEnumerable<string> known)
    {
        var best = known.Select(k => (k, d: Distance(given.ToLowerInvariant(), k.ToLowerInvariant()))).OrderBy(p => p.d).FirstOrDefault();
        return best.k is not null && best.d <= Math.Max(2, given.Length / 3) ? $" (did you mean \"{best.k}\"?)" : "";
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
