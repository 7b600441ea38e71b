using System.Text.RegularExpressions;
using Harness.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Harness.Browsers;

/// <summary>
/// Loads the one YAML document of a profile or scenario file. YamlDotNet reports malformed input through several
/// exception types (fuzzing found ArgumentException and InvalidOperationException besides YamlException); all of them
/// become a <see cref="BadInputException"/> with the file, line and column.
/// </summary>
public static partial class YamlDocumentLoader
{
    [GeneratedRegex(@"^\((?:Line|line)[^)]*\) - \([^)]*\): ")]
    private static partial Regex YamlDotNetMarkPrefix();

    [GeneratedRegex(@"^Duplicate key (.+)$")]
    private static partial Regex DuplicateKey();

    /// <param name="emptyMessage">What to say when the file has no document, e.g. which keys it needs.</param>
    public static YamlNode LoadSingle(string yaml, string file, string emptyMessage)
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
                throw new BadInputException($"\"{duplicate.Groups[1].Value}\" is given twice", file, Math.Max(1, (int)e.Start.Line), Math.Max(1, (int)e.Start.Column), duplicate.Groups[1].Value, e);
            throw new BadInputException($"not valid YAML: {message}", file, Math.Max(1, (int)e.Start.Line), Math.Max(1, (int)e.Start.Column), "(syntax)", e);
        }
        catch (ArgumentException e)
        {
            // e.g. "Global tags must be valid URIs", or an unexpected event such as a stray document marker.
            var mark = parser.Current?.Start ?? Mark.Empty;
            throw new BadInputException($"not valid YAML: {e.Message}", file, Math.Max(1, (int)mark.Line), Math.Max(1, (int)mark.Column), "(syntax)", e);
        }
        catch (InvalidOperationException e)
        {
            // Thrown by the scanner when the file ends inside a flow collection.
            var mark = parser.Current?.End ?? Mark.Empty;
            throw new BadInputException("not valid YAML: the file ends inside a [list] or {mapping}: a closing bracket or quote is missing",
                file, Math.Max(1, (int)mark.Line), Math.Max(1, (int)mark.Column), "(syntax)", e);
        }
        if (stream.Documents.Count != 1)
            throw new BadInputException(stream.Documents.Count == 0 ? "the file is empty: " + emptyMessage : "expected one YAML document, found several", file, 1, 1, "(document)");
        return stream.Documents[0].RootNode;
    }
}
