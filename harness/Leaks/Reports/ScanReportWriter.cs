using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Harness.Leaks;

/// <summary>The scan result as the CLI prints it: JSON for machines, a plain table for people.</summary>
public static class ScanReportWriter
{
    public static string VerdictName(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "pass",
        Verdict.Fail => "fail",
        _ => "inconclusive",
    };

    public static string ToJson(ScanResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("verdict", VerdictName(result.Verdict));
            w.WriteStartArray("findings");
            foreach (var f in result.Findings)
            {
                w.WriteStartObject();
                w.WriteString("flowId", f.FlowId);
                w.WriteString("host", f.Host);
                w.WriteString("destination", DestinationClassNames.ToName(f.Destination));
                w.WriteString("canaryKind", CanaryKindNames.ToName(f.CanaryKind));
                w.WriteString("canary", f.CanaryValue);
                w.WriteString("form", f.Form);
                w.WriteString("location", f.Location);
                w.WriteStartArray("decodeChain");
                foreach (var step in f.DecodeChain) w.WriteStringValue(step);
                w.WriteEndArray();
                w.WriteString("excerpt", f.Excerpt);
                if (f.Session is not null) w.WriteString("session", f.Session);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("coverage");
            w.WriteNumber("flowsScanned", result.Coverage.FlowsScanned);
            w.WriteBoolean("complete", result.Coverage.Complete);
            w.WriteStartArray("items");
            foreach (var i in result.Coverage.Items)
            {
                w.WriteStartObject();
                w.WriteString("kind", i.Kind);
                if (i.FlowId is not null) w.WriteString("flowId", i.FlowId);
                if (i.Host is not null) w.WriteString("host", i.Host);
                if (i.Destination is { } d) w.WriteString("destination", DestinationClassNames.ToName(d));
                w.WriteString("detail", i.Detail);
                w.WriteBoolean("gap", i.IsGap);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartArray("linkables");
            foreach (var l in result.Linkables)
            {
                w.WriteStartObject();
                w.WriteString("value", l.Value);
                w.WriteString("field", l.Field);
                WriteStrings(w, "sessions", l.Sessions);
                WriteStrings(w, "flowIds", l.FlowIds);
                WriteStrings(w, "locations", l.Locations);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("deviceMetadata");
            foreach (var m in result.DeviceMetadataFindings)
            {
                w.WriteStartObject();
                w.WriteString("name", m.Name);
                w.WriteString("flowId", m.FlowId);
                w.WriteString("host", m.Host);
                w.WriteString("location", m.Location);
                WriteStrings(w, "decodeChain", m.DecodeChain);
                w.WriteString("excerpt", m.Excerpt);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("expectations");
            foreach (var e in result.Expectations)
            {
                w.WriteStartObject();
                w.WriteString("name", e.Expectation.Name);
                w.WriteString("verdict", VerdictName(e.Verdict));
                w.WriteString("reason", e.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string ToTable(ScanResult result)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"verdict: {VerdictName(result.Verdict)}");
        foreach (var e in result.Expectations) sb.AppendLine($"  {e.Expectation.Name}: {VerdictName(e.Verdict)} ({e.Reason})");
        sb.AppendLine($"findings: {result.Findings.Count}");
        foreach (var f in result.Findings)
        {
            sb.AppendLine($"  [{CanaryKindNames.ToName(f.CanaryKind)}] flow {f.FlowId} -> {f.Host} ({DestinationClassNames.ToName(f.Destination)}), {f.Form}");
            sb.AppendLine($"      at    {f.Location}");
            sb.AppendLine($"      chain {(f.DecodeChain.Count == 0 ? "(none)" : string.Join(" > ", f.DecodeChain))}");
            sb.AppendLine($"      seen  {f.Excerpt}");
        }
        var gaps = result.Coverage.Gaps;
        sb.AppendLine($"coverage: {result.Coverage.FlowsScanned} flows, {(result.Coverage.Complete ? "complete" : $"{gaps.Count} gap(s)")}");
        foreach (var i in result.Coverage.Items)
            sb.AppendLine($"  {(i.IsGap ? "GAP " : "note")} {i.Kind} {i.Host} {(i.FlowId is null ? "" : "flow " + i.FlowId)}: {i.Detail}");
        foreach (var l in result.Linkables)
            sb.AppendLine($"linkable: {l.Field}={l.Value} in sessions {string.Join(", ", l.Sessions)}");
        foreach (var m in result.DeviceMetadataFindings)
            sb.AppendLine($"device metadata: {m.Name} in flow {m.FlowId} -> {m.Host} at {m.Location}");
        return sb.ToString();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
