// Installs the application menu built from menu-template.ts.
import { Menu } from 'electron';
import { menuTemplate, type MenuActions, type MenuOptions } from './menu-template';

export function installMenu(actions: MenuActions, options: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(actions, options)));
}
