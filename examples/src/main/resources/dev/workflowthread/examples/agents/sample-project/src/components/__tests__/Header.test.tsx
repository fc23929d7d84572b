import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Header } from "../Header";

describe("Header", () => {
  it("shows the title", () => {
    render(<Header />);
    expect(screen.getByText("Team dashboard")).toBeTruthy();
  });

  it("says signed out without a session", () => {
    render(<Header />);
    expect(screen.getByText("Signed out")).toBeTruthy();
  });

  it("renders a header landmark", () => {
    const { container } = render(<Header />);
    expect(container.querySelector("header")).not.toBeNull();
  });
});
