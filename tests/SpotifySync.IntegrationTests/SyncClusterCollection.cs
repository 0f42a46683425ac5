using SpotifySync.Testing;

namespace SpotifySync.IntegrationTests;

/// <summary>One cluster for all cluster tests of this assembly; they run one after another against it.</summary>
[CollectionDefinition(Name)]
public sealed class SyncClusterCollection : ICollectionFixture<SyncCluster>
{
    public const string Name = "sync cluster";
}
