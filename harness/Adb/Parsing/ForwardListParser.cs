namespace Harness.Adb.Parsing;

/// <summary>Parses list-forward bodies: three space-separated fields per line.</summary>
public static class ForwardListParser
{
    public static IReadOnlyList<ForwardEntry> Parse(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var entries = new List<ForwardEntry>();
        foreach (var raw in body.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 3)
                throw new AdbProtocolException($"forward line needs 3 fields, got {fields.Length}: \"{line}\"");
            entries.Add(new ForwardEntry(fields[0], fields[1], fields[2]));
        }
        return entries;
    }
}
