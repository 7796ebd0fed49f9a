import { LoadingRows } from "@/components/states/loading-rows";

export default function Loading() {
  return <LoadingRows label="failed webhooks" rows={4} />;
}
