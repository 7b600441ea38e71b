using System.Text.RegularExpressions;
using Harness.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Harness.Browsers;

/// <summary>
/// Loads browser profiles (scenarios/browsers/*.yaml). Every problem is a <see cref="BadInputException"/> with file,
/// line, column and field, so a profile author can fix the YAML without reading code. The schema is documented in
/// the header comment of each shipped profile.
/// </summary>
public static partial class BrowserProfileLoader
{
    [GeneratedRegex(@"^\((?:Line|line)[^)]*\) - \([^)]*\): ")]
    private static partial Regex YamlDotNetMarkPrefix();

    [GeneratedRegex(@"^Duplicate key (.+)$")]
    private static partial Regex DuplicateKey();

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
            if (DuplicateKey().Match(message) is { Success: true } duplicate)
                throw new BadInputException($"\"{duplicate.Groups[1].Value}\" is given twice", file, (int)e.Start.Line, (int)e.Start.Column, duplicate.Groups[1].Value, e);
            throw new BadInputException($"not valid YAML: {message}", file, (int)e.Start.Line, (int)e.Start.Column, "(syntax)", e);
        }
        catch (ArgumentException e)
        {
            // YamlDotNet throws this for some malformed input ("Global tags must be valid URIs", an unexpected event
            // such as a stray document marker): found by fuzzing.
            var mark = parser.Current?.Start ?? Mark.Empty;
            throw new BadInputException($"not valid YAML: {e.Message}", file, Math.Max(1, (int)mark.Line), Math.Max(1, (int)mark.Column), "(syntax)", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this (not a YamlException) when the file ends inside a flow collection.
            var mark = parser.Current?.End ?? Mark.Empty;
            throw new BadInputException("not valid YAML: the file ends inside a [list] or {mapping}: a closing bracket or quote is missing",
                file, Math.Max(1, (int)mark.Line), Math.Max(1, (int)mark.Column), "(syntax)", e);
        }
        if (stream.Documents.Count != 1)
            throw new BadInputException(stream.Documents.Count == 0 ? "the file is empty: a browser profile needs id, name, package, user-agent, languages and versions" : "expected one YAML document, found several", file, 1, 1, "(document)");
        return new ProfileParser(new YamlReader(file)).Parse(stream.Documents[0].RootNode);
    }
}
