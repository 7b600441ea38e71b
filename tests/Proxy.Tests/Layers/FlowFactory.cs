using Harness.Flows;

namespace Harness.Proxy.Tests.Layers;

/// <summary>Flows for layer tests, opened through the proxy's one flow-creation point like every other flow.</summary>
internal sealed class FlowFactory
{
    private readonly FlowLifecycle _lifecycle = new(() => Guid.NewGuid().ToString("N"), TimeProvider.System, new Harness.Proxy.Addons.AddonPipeline([]));

    public Flow Flow() => _lifecycle.Open(new ClientContext("127.0.0.1:1"), FlowKind.Http, "o.test", 80, "http");
}
