// Accessible names that match what the theme's buttons show (WCAG 2.5.3, "label in name").
// pydata-sphinx-theme's search button shows "Search Ctrl+K" but is named "Search", and its
// colour-mode button names its icons "Light", "Dark", "System Settings" while the button is
// called "Color mode"; myst-nb's toggle of a hidden cell shows "Show code cell source" but is
// named "Toggle hidden content". axe-core reports each as serious. The fixes keep the buttons,
// their tooltips and their behaviour.
document.addEventListener("DOMContentLoaded", () => {
  // The search field's name comes from its visible text ("Search Ctrl+K").
  for (const button of document.querySelectorAll(".search-button-field[aria-label]")) {
    button.removeAttribute("aria-label");
  }
  // A hidden cell's toggle is named by the text it shows.
  for (const summary of document.querySelectorAll("details.hide > summary[aria-label]")) {
    summary.removeAttribute("aria-label");
  }
  // The mode icons are decoration: the button's own label says what it does.
  for (const icon of document.querySelectorAll(".theme-switch-button .theme-switch")) {
    icon.removeAttribute("title");
    icon.setAttribute("aria-hidden", "true");
  }
});
