using Harness.Core;

namespace Harness.Browsers;

/// <summary>
/// Loads browser profiles (scenarios/browsers/*.yaml). Every problem is a <see cref="BadInputException"/> with file,
/// line, column and field, so a profile author can fix the YAML without reading code. The schema is documented in
/// the header comment of each shipped profile.
/// </summary>
public static class BrowserProfileLoader
{
    public static BrowserProfile LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read the browser profile: {e.Message}", path, inner: e);
        }
        return Parse(text, path);
    }

    /// <summary>Every *.yaml / *.yml in <paramref name="directory"/>, in name order; two profiles with one id are an error.</summary>
    public static IReadOnlyList<BrowserProfile> LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            throw new BadInputException($"no such folder of browser profiles: {directory}", directory);
        var profiles = new List<BrowserProfile>();
        foreach (var path in Directory.EnumerateFiles(directory).Where(p => p.EndsWith(".yaml", StringComparison.Ordinal) || p.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var profile = LoadFile(path);
            if (profiles.FirstOrDefault(p => p.Id == profile.Id) is { } earlier)
                throw new BadInputException($"id \"{profile.Id}\" is already used by {earlier.SourceFile}; give each profile its own id", path, field: "id");
            profiles.Add(profile);
        }
        return profiles;
    }

    public static BrowserProfile Parse(string yaml, string file)
    {
        var root = YamlDocumentLoader.LoadSingle(yaml, file, "a browser profile needs id, name, package, user-agent, languages and versions");
        return new ProfileParser(new YamlReader(file)).Parse(root);
    }
}
