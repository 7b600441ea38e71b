using YamlDotNet.RepresentationModel;

namespace Harness.Browsers;

internal sealed partial class ProfileParser
{
    private static readonly string[] TelemetryKeys = ["endpoints", "flush-interval"];

    /// <summary><c>telemetry: { endpoints: [host/path, …], flush-interval: 15s }</c>.</summary>
    private TelemetryHeartbeat ParseTelemetry(YamlNode node)
    {
        const string example = "{ endpoints: [sa.api.intl.miui.com/sa], flush-interval: 15s }";
        var entries = _yaml.Entries(_yaml.Mapping(node, "telemetry", example), "telemetry", TelemetryKeys);
        if (!entries.TryGetValue("endpoints", out var endpointsEntry))
            throw _yaml.Error(node, "telemetry.endpoints", "name the hosts (and paths) the browser uploads telemetry to, e.g. " + example);
        if (!entries.TryGetValue("flush-interval", out var flushEntry))
            throw _yaml.Error(node, "telemetry.flush-interval", "give how often the telemetry SDK uploads, e.g. 15s");
        var endpoints = new List<TelemetryEndpoint>();
        foreach (var (text, valueNode) in _yaml.ScalarList(endpointsEntry.Value, "telemetry.endpoints", "[sa.api.intl.miui.com/sa]"))
        {
            var endpoint = TelemetryEndpoint.TryParse(text)
                ?? throw _yaml.Error(valueNode, "telemetry.endpoints", $"\"{text}\" is not host or host/path such as sa.api.intl.miui.com/sa (no scheme, no query)");
            if (endpoints.Contains(endpoint)) throw _yaml.Error(valueNode, "telemetry.endpoints", $"\"{text}\" is listed twice");
            endpoints.Add(endpoint);
        }
        if (endpoints.Count == 0) throw _yaml.Error(endpointsEntry.Value, "telemetry.endpoints", "list at least one endpoint, e.g. [sa.api.intl.miui.com/sa]");
        return new TelemetryHeartbeat(endpoints, _yaml.Duration(flushEntry.Value, "telemetry.flush-interval"));
    }
}
