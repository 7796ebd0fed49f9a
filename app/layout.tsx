import type { ReactNode } from "react";
import "./globals.css";

export const metadata = { title: { default: "WhaTrack", template: "%s · WhaTrack" }, description: "Operations hub for the WhatsApp Business Cloud API" };
export const viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
