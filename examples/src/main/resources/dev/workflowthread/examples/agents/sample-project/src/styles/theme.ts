export const theme = {
  background: "#f7f8fa",
  text: "#1d2330",
  accent: "#3b6fd8",
  spacing: (steps: number) => `${steps * 4}px`,
};
