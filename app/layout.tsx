import type { ReactNode } from "react";
import "./globals.css";

export const metadata = { title: { default: "WhaTrack", template: "%s · WhaTrack" }, description: "Operations hub for the WhatsApp Business Cloud API" };
export const viewport = { width: "device-width", initialScale: 1 };
// Every page, the 404 included, renders per request: its scripts must carry the nonce of that
// response's Content-Security-Policy (proxy.ts), which a page prerendered at build time cannot.
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
