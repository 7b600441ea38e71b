using System.Text.RegularExpressions;
using Harness.Core;

namespace Harness.Scenarios;

/// <summary>
/// Loads scenario scripts (scenarios/*.yaml). Every problem is a <see cref="BadInputException"/> with file, line,
/// column, field and what to write instead. The schema is described in the header of each shipped script.
/// </summary>
public static class ScenarioLoader
{

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
        var root = YamlDocumentLoader.LoadSingle(yaml, file, "a scenario needs name, claim, steps and expectations");
        return new ScenarioParser(new YamlReader(file), knownBrowsers).Parse(root);
    }
}
