namespace Harness.Proxy.Certificates;

public enum CaKeyAlgorithm
{
    EcdsaP256,
    Rsa2048,
}
