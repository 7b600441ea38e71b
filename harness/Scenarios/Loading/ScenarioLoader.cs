using System.Text.RegularExpressions;
using Harness.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Harness.Scenarios;

/// <summary>
/// Loads scenario scripts (scenarios/*.yaml). Every problem is a <see cref="BadInputException"/> with file, line,
/// column, field and what to write instead. The schema is described in the header of each shipped script.
/// </summary>
public static partial class ScenarioLoader
{
    [GeneratedRegex(@"^\((?:Line|line)[^)]*\) - \([^)]*\): ")]
    private static partial Regex YamlDotNetMarkPrefix();

    public static ScenarioScript LoadFile(string path, IReadOnlyCollection<string>? knownBrowsers = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read the scenario script: {e.Message}", path, inner: e);
        }
        return Parse(text, path, knownBrowsers);
    }

    /// <summary>
    /// The *.yaml / *.yml files directly in <paramref name="directory"/> (not browsers/), in name order, optionally
    /// only those whose file name or script name matches <paramref name="glob"/>. Two scripts with one name are an error.
    /// </summary>
    public static IReadOnlyList<ScenarioScript> LoadDirectory(string directory, string? glob = null, IReadOnlyCollection<string>? knownBrowsers = null)
    {
        if (!Directory.Exists(directory))
            throw new BadInputException($"no such folder of scenario scripts: {directory}", directory);
        var scripts = new List<ScenarioScript>();
        foreach (var path in Directory.EnumerateFiles(directory).Where(p => p.EndsWith(".yaml", StringComparison.Ordinal) || p.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var script = LoadFile(path, knownBrowsers);
            if (glob is not null && !GlobMatches(glob, Path.GetFileNameWithoutExtension(path)) && !GlobMatches(glob, script.Name) && !GlobMatches(glob, Path.GetFileName(path)))
                continue;
            if (scripts.FirstOrDefault(s => s.Name == script.Name) is { } earlier)
                throw new BadInputException($"name \"{script.Name}\" is already used by {earlier.SourceFile}; give each scenario its own name", path, field: "name");
            scripts.Add(script);
        }
        return scripts;
    }

    /// <summary>Shell-style glob: * any run, ? one character; case-insensitive.</summary>
    public static bool GlobMatches(string glob, string name)
    {
        var pattern = "^" + Regex.Escape(glob).Replace(@"\*", ".*").Replace(@"\?", ".") + "$";
        return Regex.IsMatch(name, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    public static ScenarioScript Parse(string yaml, string file, IReadOnlyCollection<string>? knownBrowsers = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            var message = YamlDotNetMarkPrefix().Replace(e.Message, "");
            throw new BadInputException($"not valid YAML: {message}", file, Math.Max(1, (int)e.Start.Line), Math.Max(1, (int)e.Start.Column), "(syntax)", e);
        }
        catch (InvalidOperationException e)
        {
            var mark = parser.Current?.End ?? Mark.Empty;
            throw new BadInputException("not valid YAML: the file ends inside a [list] or {mapping}: a closing bracket or quote is missing",
                file, Math.Max(1, (int)mark.Line), Math.Max(1, (int)mark.Column), "(syntax)", e);
        }
        if (stream.Documents.Count != 1)
            throw new BadInputException(stream.Documents.Count == 0 ? "the file is empty: a scenario needs name, claim, steps and expectations" : "expected one YAML document, found several", file, 1, 1, "(document)");
        return new ScenarioParser(new ScriptYamlReader(file), knownBrowsers).Parse(stream.Documents[0].RootNode);
    }
}
