import type { ReactNode } from "react";

export const metadata = { title: "WhaTrack", description: "Operations hub for the WhatsApp Business Cloud API" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", margin: 0 }}>{children}</body>
    </html>
  );
}
