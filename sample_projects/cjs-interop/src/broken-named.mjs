// Fails at link time: settings.cjs has no statically detectable `theme` export.
import { theme } from './settings.cjs';

export const currentTheme = theme;
