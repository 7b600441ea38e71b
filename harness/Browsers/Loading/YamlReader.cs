using System.Globalization;
using Harness.Core;
using YamlDotNet.RepresentationModel;

namespace Harness.Browsers;

/// <summary>
/// Typed reads over a YAML node tree where every failure becomes a <see cref="BadInputException"/> naming the file,
/// the node's line and column, and the field path (e.g. <c>versions[1].range</c>).
/// </summary>
public sealed class YamlReader
{
    public YamlReader(string file) => File = file;

    public string File { get; }

    public SourceLocation Where(YamlNode node) => new(File, (int)node.Start.Line, (int)node.Start.Column);

    public BadInputException Error(YamlNode node, string field, string message) =>
        new(message, File, (int)node.Start.Line, (int)node.Start.Column, field);

    public YamlMappingNode Mapping(YamlNode node, string field, string example) =>
        node as YamlMappingNode ?? throw Error(node, field, $"expected a mapping of keys to values here, e.g. {example}");

    public YamlSequenceNode Sequence(YamlNode node, string field, string example) =>
        node as YamlSequenceNode ?? throw Error(node, field, $"expected a list here, e.g. {example}");

    public string Scalar(YamlNode node, string field, string hint = "")
    {
        if (node is YamlScalarNode { Value: { } value }) return value;
        var extra = hint.Length > 0 ? hint : node is YamlMappingNode
            ? " (text starting with '{' must be quoted, e.g. \"{url}\")"
            : "";
        throw Error(node, field, "expected a single value (text or number) here" + extra);
    }

    public string NonEmptyScalar(YamlNode node, string field)
    {
        var value = Scalar(node, field);
        return value.Trim().Length > 0 ? value : throw Error(node, field, "must not be empty");
    }

    /// <summary>A non-empty value with surrounding white space removed.</summary>
    public string TrimmedScalar(YamlNode node, string field) => NonEmptyScalar(node, field).Trim();

    /// <summary>A scalar or a list of scalars, as a list of trimmed values.</summary>
    public IReadOnlyList<(string Value, YamlNode Node)> ScalarList(YamlNode node, string field, string example)
    {
        if (node is YamlScalarNode) return [(TrimmedScalar(node, field), node)];
        var sequence = Sequence(node, field, example);
        return sequence.Children.Select((child, i) => (TrimmedScalar(child, $"{field}[{i}]"), child)).ToList();
    }

    /// <summary>
    /// A list item written as a bare name (<c>- launch</c>) or as one name with its argument (<c>- open-url: "{canary.url}"</c>);
    /// an empty argument counts as none.
    /// </summary>
    public (string Name, YamlNode NameNode, YamlNode? Argument) NamedEntry(YamlNode item, string field, string shapeHint)
    {
        if (item is YamlScalarNode) return (TrimmedScalar(item, field), item, null);
        if (item is not YamlMappingNode { Children.Count: 1 } single) throw Error(item, field, shapeHint);
        var (key, value) = single.Children[0];
        return (TrimmedScalar(key, field), key, value is YamlScalarNode { Value: null or "" } ? null : value);
    }

    public int Integer(YamlNode node, string field, int min, int max)
    {
        var text = Scalar(node, field);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw Error(node, field, $"expected a whole number from {min} to {max}, got \"{text}\"");
        return value;
    }

    public bool Boolean(YamlNode node, string field) => Switch(node, field, "true or false");

    /// <summary>The same switch, for files that speak of modes being on or off.</summary>
    public bool OnOff(YamlNode node, string field) => Switch(node, field, "on or off");

    private bool Switch(YamlNode node, string field, string expected)
    {
        var text = Scalar(node, field);
        return text switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw Error(node, field, $"expected {expected}, got \"{text}\""),
        };
    }

    /// <summary>Durations are written 20s, 500ms or 2m; where <paramref name="bareSeconds"/>, a plain number counts as seconds.</summary>
    public TimeSpan Duration(YamlNode node, string field, bool bareSeconds = false)
    {
        var text = Scalar(node, field).Trim();
        if (bareSeconds && double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            return TimeSpan.FromSeconds(seconds);
        (string suffix, Func<double, TimeSpan> make)[] units = [("ms", TimeSpan.FromMilliseconds), ("s", TimeSpan.FromSeconds), ("m", TimeSpan.FromMinutes)];
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
                throw Error(keyNode, keyField, $"unknown key \"{key}\"{DidYouMean.Hint(key, allowed)}; allowed here: {string.Join(", ", allowed)}");
            if (!entries.TryAdd(key, (keyNode, valueNode)))
                throw Error(keyNode, keyField, $"\"{key}\" is given twice");
        }
        return entries;
    }

    public static string Join(string field, string key) => field.Length == 0 ? key : $"{field}.{key}";
}
