using System.Text.RegularExpressions;

namespace Harness.Browsers;

/// <summary>
/// Writes suggested selector changes as edits of the profile's own lines, so comments and layout stay: an id becomes a
/// list that keeps the old id for older builds (<c>id: url</c> → <c>id: [url, url_edit]</c>); a selector without an id
/// gets one. No I/O.
/// </summary>
public static partial class ProfileEdits
{
    // A YAML flow scalar or flow sequence as written after "id: ".
    [GeneratedRegex(@"\G(?:""[^""]*""|'[^']*'|\[[^\]]*\]|[^,}\s#]+)")]
    private static partial Regex IdValue();

    /// <summary>The edit that makes <paramref name="selector"/> also accept <paramref name="newId"/> (short form when it is the package's).</summary>
    public static ProfileEdit? AddId(IReadOnlyList<string> lines, ElementSelector selector, string newId, string package)
    {
        var shortId = ShortForm(newId, package);
        var ids = selector.ResourceIds.Select(id => ShortForm(id, package)).Append(shortId).Distinct().ToList();
        var value = ids.Count == 1 ? ids[0] : "[" + string.Join(", ", ids) + "]";
        if (selector.IdLocation is { } at)
        {
            if (at.Line < 1 || at.Line > lines.Count) return null;
            var line = lines[at.Line - 1];
            var match = IdValue().Match(line, Math.Min(at.Column - 1, line.Length));
            if (!match.Success) return null;
            return new ProfileEdit(at.File, at.Line, line, line[..match.Index] + value + line[(match.Index + match.Length)..]);
        }
        var where = selector.Location;
        if (where.Line < 1 || where.Line > lines.Count) return null;
        var text = lines[where.Line - 1];
        var column = Math.Min(where.Column - 1, text.Length);
        // A flow mapping "{ text: …}" gets "id: X, " after its brace; a block mapping gets a line of its own.
        if (column < text.Length && text[column] == '{')
            return new ProfileEdit(where.File, where.Line, text, text[..(column + 1)] + " id: " + value + "," + text[(column + 1)..]);
        return new ProfileEdit(where.File, where.Line, text, new string(' ', column) + "id: " + value + "\n" + text);
    }

    /// <summary>Applies edits (at most one per line; later ones on the same line are dropped) and returns the new text.</summary>
    public static string Apply(string text, IEnumerable<ProfileEdit> edits)
    {
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        foreach (var edit in edits.GroupBy(e => e.Line).Select(g => g.First()).OrderByDescending(e => e.Line))
            if (edit.Line >= 1 && edit.Line <= lines.Count && lines[edit.Line - 1] == edit.OldText)
                lines[edit.Line - 1] = edit.NewText.Replace("\n", newline, StringComparison.Ordinal);
        return string.Join(newline, lines);
    }

    private static string ShortForm(string id, string package) =>
        id.StartsWith(package + ":id/", StringComparison.Ordinal) ? id[(package.Length + 4)..] : id;
}
