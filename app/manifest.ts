import type { MetadataRoute } from "next";

/**
 * The web app manifest (/manifest.webmanifest; Next links it from every page): a guest's phone or
 * a kitchen tablet can add Pass to its home screen and open it full screen. Icons in public/.
 */
export default function manifest(): MetadataRoute.Manifest {
  return {
    id: "/",
    name: "Pass",
    short_name: "Pass",
    description: "The live order system for restaurants",
    start_url: "/",
    scope: "/",
    display: "standalone",
    orientation: "any",
    background_color: "#0b0d10",
    theme_color: "#0b0d10",
    icons: [
      { src: "/icon.svg", sizes: "any", type: "image/svg+xml" },
      { src: "/icon-192.png", sizes: "192x192", type: "image/png" },
      { src: "/icon-512.png", sizes: "512x512", type: "image/png" },
      { src: "/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}
