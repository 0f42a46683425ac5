await SpotifySync.Api.ApiApplication.Build(args).RunAsync();
