namespace SpotifySync.Grains.Storage;

/// <summary>One versioned SQL script shipped inside this assembly (<c>Migrations/NNNN_name.sql</c>).</summary>
public sealed record SchemaMigration(int Version, string Name, string Sql);
